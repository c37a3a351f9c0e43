import { Option } from './commander.js';
import { UsageError } from '../common/kindlab-error.js';

/**
 * An option that takes one of `choices`: help and `lab completion` list them (commander's argChoices),
 * and any other value is one `error:` line naming the flag (commander's own message would not).
 */
export function choiceOption(flags: string, description: string, choices: readonly string[], word = 'invalid'): Option {
  const option = new Option(flags, description).choices(choices);
  return option.argParser((value: string) => checkChoice(option.long ?? option.name(), value, choices, word));
}

/** `invalid --format "pdf"`, hint `use one of: text, json`; `word` keeps older messages such as `unknown --etcd`. */
export function checkChoice(label: string, value: string, choices: readonly string[], word = 'invalid'): string {
  if (choices.includes(value)) return value;
  throw new UsageError(`${word} ${label} "${value}"`, { hint: `use one of: ${choices.join(', ')}` });
}
