import { describe, expect, it } from 'vitest';
import { formatCommand, shellQuote } from '../../../src/common/shell-quote.js';

describe('shellQuote', () => {
  it('leaves plain words alone', () => {
    expect(shellQuote('kind')).toBe('kind');
    expect(shellQuote('--name=lab-1')).toBe('--name=lab-1');
  });

  it('quotes spaces, quotes and empty strings so the line pastes back unchanged', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(formatCommand('docker', ['exec', 'n', 'sh', '-c', 'echo $HOME'])).toBe("docker exec n sh -c 'echo $HOME'");
  });
});
