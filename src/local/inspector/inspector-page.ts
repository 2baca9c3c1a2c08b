import { readFileSync } from 'node:fs';
import { DEMO, demoCompanyChannel } from '../../kit/demo-data.js';

function asset(name: string): string {
  return readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
}

/** JSON inside a <script> element: `<` escaped so no value can close the element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The inspector as one self-contained HTML document: page, style and script inlined, so it needs nothing but
 * the local gateway (works offline; the Content-Security-Policy forbids any other origin).
 */
export function inspectorPage(): string {
  const config = {
    defaults: {
      whatsapp: { from: DEMO.aiSender, to: demoCompanyChannel('whatsapp') },
      sms: { from: DEMO.aiSender, to: demoCompanyChannel('sms') },
      email: { from: DEMO.emailSender, to: demoCompanyChannel('email') },
    },
  };
  // Function replacers: `$&`-style patterns in the assets must not be interpreted.
  return asset('inspector.html')
    .replace('/*STYLE*/', () => asset('inspector.css'))
    .replace('{"config":"CONFIG"}', () => scriptJson(config))
    .replace('/*SCRIPT*/', () => asset('inspector.js'));
}
