import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createPowertoolsLogger,
  createPowertoolsMetrics,
} from '../../src/adapters/observability/powertools-observability.js';
import { MAX_MASKED_CHARS } from '../../src/domain/mask.js';
import { OBSERVABILITY } from '../../src/resources.js';

function captureStdout(): { lines: () => string[]; restore: () => void } {
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  return { lines: () => chunks.join('').split('\n').filter(Boolean), restore: () => spy.mockRestore() };
}

describe('Powertools adapters', () => {
  afterEach(() => vi.restoreAllMocks());

  it('logs JSON with bodies redacted and stray phone numbers and emails masked', () => {
    const out = captureStdout();
    const logger = createPowertoolsLogger();

    logger.info('test line', { body: 'secret text', note: 'call +447700900123 or mail jo@example.org' });
    out.restore();

    const line = out.lines().find((l) => l.includes('test line')) ?? '';
    const parsed = JSON.parse(line);
    expect(parsed.body).toBe('[redacted]');
    expect(line).not.toContain('+447700900123');
    expect(line).not.toContain('jo@example.org');
    expect(line).not.toContain('secret text');
  });

  it('cuts a 1 MB attacker-filled string before masking it (no quadratic scan, no 1 MB log line)', () => {
    const out = captureStdout();
    const logger = createPowertoolsLogger();

    logger.info('huge field', { field: `${'a'.repeat(1_000_000)} jo@example.org` });
    out.restore();

    const line = out.lines().find((l) => l.includes('huge field')) ?? '';
    expect(line.length).toBeLessThan(MAX_MASKED_CHARS + 500);
    expect(JSON.parse(line).field).toMatch(/…\[\d+ more chars\]$/);
  });

  it("emits EMF in the alarms' namespace with the service and stage dimensions", () => {
    const out = captureStdout();
    const metrics = createPowertoolsMetrics({ stage: 'staging' });

    metrics.count(OBSERVABILITY.metrics.unknownSender);
    metrics.flush();
    metrics.flush();
    out.restore();

    const emf = out
      .lines()
      .map((l) => JSON.parse(l))
      .filter((l) => l._aws);
    expect(emf).toHaveLength(1);
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: OBSERVABILITY.metricsNamespace,
      // The exact set infra/custom-metric.ts customMetricDimensions() alarms on (test/infra/alarms.test.ts).
      Dimensions: [['service', 'stage']],
      Metrics: [{ Name: OBSERVABILITY.metrics.unknownSender, Unit: 'Count' }],
    });
    expect(emf[0].service).toBe(OBSERVABILITY.serviceName);
    expect(emf[0].stage).toBe('staging');
  });
});
