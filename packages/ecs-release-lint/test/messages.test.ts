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

  it('fills a slot with its data as written, never as a template', () => {
    expect(
      hitMessage(rule, { messageId: 'twice', data: { name: '{{first}}', first: '$&', second: 1 } }),
    ).toBe('container "{{first}}" is listed in [$&] and [1]');
  });

  it('fails when a hit names a message the rule does not declare', () => {
    expect(() => hitMessage(rule, { messageId: 'once' })).toThrow(
      'rule TEST_RULE reported message id "once", which is not in its messages (twice)',
    );
    expect(() => hitMessage(rule, { messageId: 'toString' })).toThrow('"toString"');
  });

  it('fails when a slot has no data', () => {
    expect(() => hitMessage(rule, { messageId: 'twice', data: { name: 'web' } })).toThrow(
      'no data for {{first}}',
    );
  });

  it('gives every rule its messages, each with an id and a text', () => {
    for (const each of RULES) expect(Object.keys(each.messages), each.id).not.toHaveLength(0);
    const declared = RULES.flatMap((each) => Object.entries(each.messages));
    for (const [id, text] of declared) {
      expect(id).toMatch(/^[a-z][A-Za-z]*$/);
      expect(text.trim()).not.toBe('');
    }
  });
});
