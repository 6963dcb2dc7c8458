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
      for (const f of e.fieldErrors as FieldError[]) {
        const before = fields.value[f.path];
        fields.value[f.path] = before ? `${before}; ${f.message}` : f.message;
      }
    } else message.value = e instanceof Error ? e.message : String(e);
  }
  function clear(): void {
    fields.value = {};
    message.value = null;
  }
  const of = (path: string): string | undefined => fields.value[path];
  return { fields, message, set, clear, of };
}

/** The aria-describedby of an input inside a FormField: its error (when there is one) and its help. */
export function describedBy(id: string, error?: string, help?: string): string | undefined {
  return [error ? `${id}-error` : '', help ? `${id}-help` : ''].filter(Boolean).join(' ') || undefined;
}
