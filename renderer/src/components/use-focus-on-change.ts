import { useEffect, useRef } from 'react';

/**
 * Moves keyboard focus to the element when `key` changes to a defined value (new content
 * appeared: a test result, the next step). The element needs `tabIndex={-1}`.
 */
export function useFocusOnChange<T extends HTMLElement>(key: string | undefined) {
  const ref = useRef<T>(null);
  const last = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (key === undefined || key === last.current) return;
    last.current = key;
    ref.current?.focus();
  }, [key]);
  return ref;
}
