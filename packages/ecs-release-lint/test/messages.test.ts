import { describe, expect, it } from 'vitest';
import { hitMessage, type Rule } from '../src/core/rule.js';
import { RULES } from '../src/rules/catalog.js';

const rule: Rule = {
  id: 'TEST_RULE',
  stage: 'document',
  kinds: ['taskdef'],
  severity: 'error',
  summary: 'summary',
  why: 'why',
  reference: 'https://example.com',
  messages: { twice: 'container "{{name}}" is listed in [{{ first }}] and [{{second}}]' },
  check: () => [],
};

describe('rule messages', () => {
  it('fills the slots of the message a hit names', () => {
    expect(
      hitMessage(rule, { messageId: 'twice', data: { name: 'web', first: 0, second: 2 } }),
    ).toBe('container "web" is listed in [0] and [2]');
  });

  it('keeps the text of a hit that carries its message', () => {
    expect(hitMessage(rule, { message: 'as written {{name}}' })).toBe('as written {{name}}');
  });

  it('fails when a hit names a message the rule does not declare', () => {
    expect(() => hitMessage(rule, { messageId: 'once' })).toThrow(
      'rule TEST_RULE reported message id "once", which is not in its messages (twice)',
    );
  });

  it('fails when a slot has no data', () => {
    expect(() => hitMessage(rule, { messageId: 'twice', data: { name: 'web' } })).toThrow(
      'no data for {{first}}',
    );
  });

  it('gives every declared message an id and a text', () => {
    const declared = RULES.flatMap((each) => Object.entries(each.messages ?? {}));
    expect(declared.length).toBeGreaterThan(0);
    for (const [id, text] of declared) {
      expect(id).toMatch(/^[a-z][A-Za-z]*$/);
      expect(text.trim()).not.toBe('');
    }
  });
});
