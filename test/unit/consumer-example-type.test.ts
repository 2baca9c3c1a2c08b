// Checked by the type-checker (`tsc --noEmit` in npm test covers test/): a field added to ContextObject and not to
// the example's type, or the other way round, fails the build.
import { describe, expectTypeOf, it } from 'vitest';
import type { ReplyContext } from '../../examples/replies-consumer.js';
import type { ContextObject } from '../../src/domain/context-object.js';

type Section = keyof ContextObject;

describe("examples/replies-consumer.ts's ReplyContext is the whole context object", () => {
  it('every context the gateway builds is a ReplyContext', () => {
    expectTypeOf<ContextObject>().toExtend<ReplyContext>();
  });

  it('names every field of every section (none left out), and no field the gateway does not send', () => {
    expectTypeOf<keyof ReplyContext>().toEqualTypeOf<Section>();
    expectTypeOf<keyof ReplyContext['meta']>().toEqualTypeOf<keyof ContextObject['meta']>();
    expectTypeOf<keyof ReplyContext['conversation']>().toEqualTypeOf<keyof ContextObject['conversation']>();
    expectTypeOf<keyof ReplyContext['message']>().toEqualTypeOf<keyof ContextObject['message']>();
    expectTypeOf<keyof ReplyContext['company']>().toEqualTypeOf<keyof ContextObject['company']>();
    expectTypeOf<keyof ReplyContext['processing']>().toEqualTypeOf<keyof ContextObject['processing']>();
  });
});
