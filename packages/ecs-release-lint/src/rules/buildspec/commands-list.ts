import { documentRule, isRecord, type RuleHit } from '../../core/rule.js';
import { BUILDSPEC_DOCS } from './buildspec.js';

export const buildspecCommandsList = documentRule(
  {
    id: 'BUILDSPEC_COMMANDS_LIST',
    kind: 'buildspec',
    severity: 'error',
    summary:
      "A phase's commands and finally are lists of strings (one command per item); an empty item is a warning.",
    why: 'The reference defines commands as a sequence of scalars. A command with an unquoted ": " becomes a YAML map, which CodeBuild rejects; one block string runs as a single command, if at all. An item that is only "- # comment" reads as null: CodeBuild runs nothing for it (public builds ran with one for weeks), so it is only a warning that the "-" was left behind.',
    reference: BUILDSPEC_DOCS,
  },
  (document) => {
    if (!isRecord(document) || !isRecord(document.phases)) return [];
    const hits: RuleHit[] = [];
    for (const [phaseName, phase] of Object.entries(document.phases)) {
      if (!isRecord(phase)) continue;
      for (const field of ['commands', 'finally'] as const) {
        const commands = phase[field];
        // An empty key (every entry commented out) reads as null: an empty list.
        if (commands === undefined || commands === null) continue;
        if (!Array.isArray(commands)) {
          hits.push({
            path: ['phases', phaseName, field],
            message: `${field} must be a list: write each command as "- command" on its own line`,
          });
          continue;
        }
        for (const [index, command] of commands.entries()) {
          if (command === null) {
            hits.push({
              path: ['phases', phaseName, field, index],
              severity: 'warning',
              message:
                'this item is empty (a "-" followed only by a comment reads as null); CodeBuild runs nothing for it: comment out the "-" too, or remove the line',
            });
          } else if (typeof command !== 'string') {
            hits.push({
              path: ['phases', phaseName, field, index],
              message: `each command is a string; quote this one (a ": " inside a command makes YAML read a map)`,
            });
          }
        }
      }
    }
    return hits;
  },
);
