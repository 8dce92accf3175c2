import { commandLists, phases } from '../../access/buildspec.js';
import { documentRule, type RuleHit } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecCommandsList = documentRule(
  {
    id: 'BUILDSPEC_COMMANDS_LIST',
    kind: 'buildspec',
    severity: 'error',
    messages: {
      notAList: '{{field}} must be a list: write each command as "- command" on its own line',
      emptyItem:
        'this item is empty (a "-" followed only by a comment reads as null); CodeBuild runs nothing for it: comment out the "-" too, or remove the line',
      notAString:
        'each command is a string; quote this one (a ": " inside a command makes YAML read a map)',
    },
    summary:
      "A phase's commands and finally are lists of strings (one command per item); an empty item is a warning.",
    why: 'The reference defines commands as a sequence of scalars. A command with an unquoted ": " becomes a YAML map, which CodeBuild rejects; one block string runs as a single command, if at all. An item that is only "- # comment" reads as null: CodeBuild runs nothing for it (public builds ran with one for weeks), so it is only a warning that the "-" was left behind.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
    const hits: RuleHit[] = [];
    for (const phase of phases(document)) {
      // An empty key (every entry commented out) reads as null: commandLists leaves it out.
      for (const { field, path, items } of commandLists(phase)) {
        if (items === undefined) {
          hits.push({
            path,
            messageId: 'notAList',
            data: { field },
          });
          continue;
        }
        for (const [index, command] of items.entries()) {
          if (command === null) {
            hits.push({
              path: [...path, index],
              severity: 'warning',
              messageId: 'emptyItem',
            });
          } else if (typeof command !== 'string') {
            hits.push({
              path: [...path, index],
              messageId: 'notAString',
            });
          }
        }
      }
    }
    return hits;
  },
);
