/** Phone or desktop: lists become cards and forms stack their labels below 768 px. */
import { onScopeDispose, ref } from 'vue';

export function useIsPhone() {
  const query = window.matchMedia('(max-width: 767px)');
  const isPhone = ref(query.matches);
  const update = (event: MediaQueryListEvent) => {
    isPhone.value = event.matches;
  };
  query.addEventListener('change', update);
  onScopeDispose(() => query.removeEventListener('change', update));
  return isPhone;
}
