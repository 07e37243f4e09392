import { createRouter, createWebHistory } from 'vue-router';
import AssessmentsPage from './pages/AssessmentsPage.vue';
import CaseDetail from './pages/CaseDetail.vue';
import CaseList from './pages/CaseList.vue';
import DeliveriesPage from './pages/DeliveriesPage.vue';
import LedgerPage from './pages/LedgerPage.vue';
import PatrolsPage from './pages/PatrolsPage.vue';
import ReportsPage from './pages/ReportsPage.vue';
import SignIn from './pages/SignIn.vue';
import { principal, session } from './session.js';

declare module 'vue-router' {
  interface RouteMeta {
    public?: boolean;
    /** Principal kinds that may open the page; any signed-in principal when absent. */
    roles?: string[];
  }
}

const WORK = ['brigade', 'bureau', 'leader'];

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes: [
    { path: '/signin', component: SignIn, meta: { public: true } },
    { path: '/', redirect: '/cases' },
    { path: '/cases', component: CaseList },
    { path: '/cases/:caseId', component: CaseDetail, props: true },
    { path: '/patrols', component: PatrolsPage, meta: { roles: WORK } },
    { path: '/reports', component: ReportsPage, meta: { roles: WORK } },
    { path: '/assessments', component: AssessmentsPage, meta: { roles: WORK } },
    { path: '/ledger', component: LedgerPage, meta: { roles: ['brigade'] } },
    { path: '/deliveries', component: DeliveriesPage, meta: { roles: ['brigade'] } },
    { path: '/:rest(.*)*', redirect: '/cases' },
  ],
});

router.beforeEach((to) => {
  if (to.meta.public) return true;
  if (!session.value)
    return { path: '/signin', query: to.fullPath === '/cases' ? {} : { next: to.fullPath } };
  if (to.meta.roles && !to.meta.roles.includes(principal.value.kind)) return '/cases';
  return true;
});
