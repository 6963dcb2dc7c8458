/**
 * Status (the seed's first setting) means what it says: with it off, nothing syncs by itself or on
 * request — scheduler, cron URL, manual runs, "sync soon" and the CLI all refuse with this answer.
 * A dry run writes nothing, so it stays allowed (it is how a merchant checks before switching on).
 */

/** Machine-readable code of the refusal (HTTP 409 body `code`, CLI message). */
export const CONNECTOR_DISABLED = 'connector-disabled' as const;

/** Why a run may not start, with the setting that decides it. */
export interface RunRefusal {
  code: typeof CONNECTOR_DISABLED;
  /** The settings key to change. */
  setting: 'status';
  /** What the merchant reads. */
  message: string;
}

/** null when a run may start; otherwise the refusal to answer with. */
export function runRefusal(settings: { status?: unknown }, request: { dryRun?: boolean }): RunRefusal | null {
  if (request.dryRun) return null;
  if (settings.status === true) return null;
  return {
    code: CONNECTOR_DISABLED,
    setting: 'status',
    message:
      'The connector is switched off (setting "Status" is off): no sync runs until you switch Status on in Settings. A dry run is still allowed.',
  };
}
