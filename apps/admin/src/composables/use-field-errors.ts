import { ref } from 'vue';
import { ApiError, type FieldError } from '../api/client';

/** Keeps the API's field errors by path so each input shows its own beside it. */
export function useFieldErrors() {
  const fields = ref<Record<string, string>>({});
  const message = ref<string | null>(null);
  function set(e: unknown): void {
    fields.value = {};
    if (e instanceof ApiError) {
      message.value = e.message;
      for (const f of e.fieldErrors as FieldError[]) fields.value[f.path] = f.message;
    } else message.value = e instanceof Error ? e.message : String(e);
  }
  function clear(): void {
    fields.value = {};
    message.value = null;
  }
  const of = (path: string): string | undefined => fields.value[path];
  return { fields, message, set, clear, of };
}
