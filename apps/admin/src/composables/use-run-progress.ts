import { onBeforeUnmount, ref } from 'vue';

export interface Progress {
  runId: string;
  phase: string;
  processed: number;
  total: number | null;
  message: string | null;
  counts?: Record<string, unknown>;
  startedAt: string;
  at: string;
}

/** Percentage done, null while the total is unknown. */
export function percent(p: Pick<Progress, 'processed' | 'total'>): number | null {
  if (p.total === null || p.total <= 0) return null;
  return Math.min(100, Math.round((p.processed / p.total) * 100));
}

/** Seconds left: elapsed × remaining / processed (the API's formula), null when unknown. */
export function etaSeconds(p: Pick<Progress, 'processed' | 'total' | 'startedAt' | 'at'>): number | null {
  if (p.total === null || p.processed <= 0) return null;
  const elapsed = (Date.parse(p.at) - Date.parse(p.startedAt)) / 1000;
  if (!Number.isFinite(elapsed) || elapsed < 0) return null;
  return Math.max(0, Math.round((elapsed * (p.total - p.processed)) / p.processed));
}

/** Follows a run over SSE (`GET /api/runs/:id/events`): progress events, then one finished. */
export function useRunProgress(onFinished?: (run: unknown) => void) {
  const progress = ref<Progress | null>(null);
  const finished = ref(false);
  let source: EventSource | null = null;
  function follow(runId: string): void {
    stop();
    finished.value = false;
    progress.value = null;
    source = new EventSource(`/api/runs/${encodeURIComponent(runId)}/events`);
    source.addEventListener('progress', (e) => {
      progress.value = JSON.parse((e as MessageEvent<string>).data) as Progress;
    });
    source.addEventListener('finished', (e) => {
      finished.value = true;
      stop();
      onFinished?.(JSON.parse((e as MessageEvent<string>).data));
    });
    source.onerror = () => {
      if (finished.value) stop();
    };
  }
  function stop(): void {
    source?.close();
    source = null;
  }
  onBeforeUnmount(stop);
  return { progress, finished, follow, stop };
}
