import { describe, expect, it } from 'vitest';
import { type ImportEdge, importEdges, reaches } from '../helpers/import-graph.js';

/**
 * The layer rules of docs/architecture.md, checked on the import graph of src/ so that the map stays true to the
 * code. A rule broken on purpose is listed with its reason; the list is checked both ways (every exception is still
 * needed), so it can only shrink.
 */
const edges = importEdges('src');
const under = (folder: string) => (edge: ImportEdge) => edge.from.startsWith(folder);
const describeEdge = (edge: ImportEdge) => `${edge.from} → ${edge.to}`;

describe('import rules (docs/architecture.md, "Layers")', () => {
  it('the domain imports nothing outside src/domain', () => {
    const outside = edges.filter(under('src/domain/')).filter((edge) => !edge.to.startsWith('src/domain/'));

    expect(outside.map(describeEdge)).toEqual([]);
  });

  it('the application imports only the domain, resources and itself', () => {
    const allowed = ['src/app/', 'src/domain/', 'src/resources.ts', 'src/config.ts'];
    const outside = edges
      .filter(under('src/app/'))
      .filter((edge) => !allowed.some((prefix) => edge.to.startsWith(prefix)));

    expect(outside.map(describeEdge)).toEqual([]);
  });

  it('adapters import only ports.ts from src/app (the wiring that needs app classes lives in src/compose)', () => {
    const intoApp = edges
      .filter(under('src/adapters/'))
      .filter((edge) => edge.to.startsWith('src/app/') && edge.to !== 'src/app/ports.ts')
      .map(describeEdge);

    expect(intoApp).toEqual([]);
  });

  it('the composition wiring (src/compose) is imported only by the composition roots', () => {
    const roots = ['src/compose/', 'src/http/lambda-handler.ts', 'src/local/'];
    const users = edges
      .filter((edge) => edge.to.startsWith('src/compose/'))
      .filter((edge) => !roots.some((root) => edge.from.startsWith(root)));

    expect(users.map(describeEdge)).toEqual([]);
  });

  it('the core (domain, app, adapters, http) never imports the local tooling (src/local, src/cli)', () => {
    const core = ['src/domain/', 'src/app/', 'src/adapters/', 'src/compose/', 'src/http/'];
    const tooling = edges
      .filter((edge) => core.some((folder) => edge.from.startsWith(folder)))
      .filter((edge) => edge.to.startsWith('src/local/') || edge.to.startsWith('src/cli/'));

    expect(tooling.map(describeEdge)).toEqual([]);
  });

  it('src/cli and src/local do not import each other in both directions (through any chain)', () => {
    const cliToLocal = reaches(edges, 'src/cli/', 'src/local/');
    const localToCli = reaches(edges, 'src/local/', 'src/cli/');

    expect(cliToLocal && localToCli ? [cliToLocal, localToCli].flat().map(describeEdge) : []).toEqual([]);
  });

  it('the shared kit (signers, demo data, table items, the REST event builder) imports neither the CLI nor the stack', () => {
    const out = edges
      .filter(under('src/kit/'))
      .filter((edge) => edge.to.startsWith('src/cli/') || edge.to.startsWith('src/local/'));

    expect(out.map(describeEdge)).toEqual([]);
  });
});
