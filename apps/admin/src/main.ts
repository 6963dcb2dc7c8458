import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { router } from './router';
import { onUnauthorised } from './api/client';
import { useSessionStore } from './stores/session';

const app = createApp(App).use(createPinia()).use(router);
onUnauthorised(() => {
  const session = useSessionStore();
  const hadSession = !!session.user; // a 401 after our own logout is not an expiry
  session.sessionEnded();
  if (hadSession && router.currentRoute.value.name !== 'login')
    void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath, expired: '1' } });
});
app.mount('#app');
