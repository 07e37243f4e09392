import 'element-plus/dist/index.css';
import './style.css';
import ElementPlus from 'element-plus';
import zhCn from 'element-plus/es/locale/lang/zh-cn';
import { createApp } from 'vue';
import App from './App.vue';
import { whenSignedOut } from './api/client.js';
import { consoleConfig } from './config.js';
import { reminderLeadMs } from './now.js';
import { router } from './router.js';

whenSignedOut(() => {
  if (router.currentRoute.value.path !== '/signin')
    void router.push({ path: '/signin', query: { next: router.currentRoute.value.fullPath } });
});

void consoleConfig().then((config) => {
  reminderLeadMs.value = config.reminderLeadMinutes * 60_000;
});

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app');
