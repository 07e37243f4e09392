/** One clock for every countdown on the page, ticking every 30 s, and the reminder lead they use. */
import { onScopeDispose, ref } from 'vue';

export const reminderLeadMs = ref(120 * 60_000);

const now = ref(Date.now());
let users = 0;
let timer: ReturnType<typeof setInterval> | undefined;

export function useNow() {
  users += 1;
  now.value = Date.now();
  timer ??= setInterval(() => {
    now.value = Date.now();
  }, 30_000);
  onScopeDispose(() => {
    users -= 1;
    if (users === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  });
  return now;
}
