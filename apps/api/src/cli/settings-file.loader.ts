/**
 * `--settings FILE`: a JSON object whose top-level keys replace the same keys of the saved
 * settings (or the defaults when none were saved), validated as a whole. A key the schema does not
 * know is an error, not silently ignored: a typo must not leave a setting at its default.
 */
import { readFile } from 'node:fs/promises';
import { defaultSettings, parseSettings, unknownSettingKeys, type Settings } from '@oc-xero/sync-core';

export class SettingsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      `${file}: ${problems.length === 1 ? problems[0] : `\n${problems.map((p) => `  - ${p}`).join('\n')}`}`,
    );
    this.name = 'SettingsFileError';
  }
}

/** Merges a settings document over the saved one and validates it; field-level errors. */
export function mergeSettings(
  saved: Record<string, unknown> | null,
  overrides: unknown,
  file = 'settings',
): Settings {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new SettingsFileError(file, [
      'must hold a JSON object of settings, e.g. { "invoiceStatus": "AUTHORISED" }',
    ]);
  }
  const known = new Set(Object.keys(defaultSettings()));
  const unknown = Object.keys(overrides).filter((k) => !known.has(k));
  if (unknown.length) {
    throw new SettingsFileError(
      file,
      unknown.map((k) => `${k}: unknown setting (known settings: ${[...known].sort().join(', ')})`),
    );
  }
  // Deeper down too (a store override, a tax rate mapping): zod would drop them without a word.
  const deep = unknownSettingKeys(overrides).filter((e) => e.path.includes('.'));
  if (deep.length) throw new SettingsFileError(file, deep.map((e) => `${e.path}: unknown setting`));
  const parsed = parseSettings({ ...(saved ?? {}), ...(overrides as Record<string, unknown>) });
  if (!parsed.ok)
    throw new SettingsFileError(
      file,
      parsed.errors.map((e) => `${e.path}: ${e.message}`),
    );
  return parsed.settings;
}

/** Reads FILE and merges it over `saved`. */
export async function loadSettingsFile(
  file: string,
  saved: Record<string, unknown> | null,
): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SettingsFileError(file, [
      code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(e)})`,
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SettingsFileError(file, [`is not valid JSON: ${(e as Error).message}`]);
  }
  return mergeSettings(saved, json, file);
}
