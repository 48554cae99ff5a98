/** Placeholder (helper B): "Open a saved plan…" (native dialog → plan:open). */
export function OpenPlanButton(_props: { onOpened: (planId: string) => void }) {
  return null;
}
