import { readFileSync } from 'node:fs';

const README = new URL('../../README.md', import.meta.url);

/**
 * The commands the README tells a new user to run, in order: every `npm run …` line of the ```sh blocks in
 * "The first hour" and "Try it: the CLI and the inspector" (indented blocks included), trailing `# comments` removed.
 */
export function readmeCommands(): string[] {
  const text = readFileSync(README, 'utf8');
  const sections = ['## The first hour', '## Try it: the CLI and the inspector'].map((title) => {
    const start = text.indexOf(title);
    const end = text.indexOf('\n## ', start + title.length);
    return text.slice(start, end === -1 ? undefined : end);
  });
  const commands: string[] = [];
  for (const section of sections) {
    for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
      for (const raw of (block[1] ?? '').split('\n')) {
        const line = raw.trim().replace(/\s+#\s.*$/, '');
        if (line.startsWith('npm run ')) commands.push(line);
      }
    }
  }
  return commands;
}

/** Every file that prints CLI lines for people to copy: the README and the docs. */
export function documentedText(): string {
  const files = ['README.md', 'docs/consumers.md', 'docs/deploy.md', 'docs/architecture.md'];
  return files.map((file) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')).join('\n');
}
