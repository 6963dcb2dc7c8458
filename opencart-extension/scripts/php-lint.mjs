// php -l on every PHP file of the extension (PHP 8.2 in CI); exits 1 on the first file that fails.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export function phpFiles(dir = root) {
  return readdirSync(dir).flatMap((name) => {
    if (['node_modules', 'dist', 'test-output'].includes(name)) return [];
    const full = join(dir, name);
    return statSync(full).isDirectory() ? phpFiles(full) : full.endsWith('.php') ? [full] : [];
  });
}

export function lint(file) {
  try {
    execFileSync('php', ['-d', 'display_errors=1', '-l', file], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return `${relative(root, file)}: ${String(e.stdout || '') + String(e.stderr || '')}`.trim();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const all = phpFiles();
  const failures = all.map(lint).filter(Boolean);
  for (const f of failures) console.error(f);
  console.log(`php -l: ${all.length} files, ${failures.length} with errors`);
  process.exit(failures.length ? 1 : 0);
}
