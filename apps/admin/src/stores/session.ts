import { defineStore } from 'pinia';
import { ref } from 'vue';
import * as auth from '../api/auth';

/** Who is logged in, and whether the service still waits for its first admin. */
export const useSessionStore = defineStore('session', () => {
  const user = ref<string | null>(null);
  const setupOpen = ref<boolean | null>(null);
  const expired = ref(false);

  async function refresh(): Promise<void> {
    const status = await auth.setupStatus();
    setupOpen.value = status.open;
    if (status.open) {
      user.value = null;
      return;
    }
    try {
      user.value = (await auth.me()).name;
    } catch {
      user.value = null;
    }
  }
  async function login(username: string, password: string): Promise<void> {
    await auth.login({ username, password });
    user.value = username;
    expired.value = false;
  }
  async function setup(setupCode: string, username: string, password: string): Promise<void> {
    await auth.setup({ setupCode, username, password });
    setupOpen.value = false;
    await login(username, password);
  }
  async function logout(): Promise<void> {
    user.value = null;
    await auth.logout();
  }
  /** A 401 on any call: the session ended (expiry or logout elsewhere). */
  function sessionEnded(): void {
    if (user.value) expired.value = true;
    user.value = null;
  }
  return { user, setupOpen, expired, refresh, login, setup, logout, sessionEnded };
});
