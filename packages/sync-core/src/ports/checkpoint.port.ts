/** Named checkpoints of a scope (opencart-db: checkpoint.repository.ts). */
export interface CheckpointPort {
  /** A named checkpoint (JSON string), null when never set. */
  getCheckpoint(scope: string, name: string): Promise<string | null>;
  /** Move a checkpoint; only after the writes it covers succeeded. */
  setCheckpoint(scope: string, name: string, value: string): Promise<void>;
}
