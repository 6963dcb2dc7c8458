import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { useSessionStore } from '../stores/session';

export const routes: RouteRecordRaw[] = [
  { path: '/setup', name: 'setup', component: () => import('../views/setup/index.vue'), meta: { public: true } },
  { path: '/login', name: 'login', component: () => import('../views/login/index.vue'), meta: { public: true } },
  { path: '/', name: 'dashboard', component: () => import('../views/dashboard/index.vue') },
  { path: '/settings/:section?', name: 'settings', component: () => import('../views/settings/index.vue') },
  { path: '/products', name: 'products', component: () => import('../views/products/index.vue') },
  { path: '/orders', name: 'orders', component: () => import('../views/orders/index.vue') },
  { path: '/runs', name: 'runs', component: () => import('../views/runs/index.vue') },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory(), routes });

// First run goes to /setup; no session goes to /login (and back where it was after).
router.beforeEach(async (to) => {
  const session = useSessionStore();
  if (session.setupOpen === null) await session.refresh();
  if (session.setupOpen) return to.name === 'setup' ? true : { name: 'setup' };
  if (to.name === 'setup') return { name: 'login' };
  if (!to.meta.public && !session.user) return { name: 'login', query: { next: to.fullPath } };
  return true;
});
