'use client';

import { cn } from '@/lib/cn';
import { X } from 'lucide-react';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';

export type Toast = {
  message: string;
  tone?: 'info' | 'error';
  action?: { label: string; onClick: () => void };
  /** Undo toasts stay at least 10 s (12 s by default when there is an action). */
  durationMs?: number;
};

type Live = Toast & { id: number };

const ToastContext = createContext<(t: Toast) => void>(() => {});

export function useToast(): (t: Toast) => void {
  return useContext(ToastContext);
}

/** Bottom-left stack of messages; lives in the root layout so it survives navigation. */
export function Toaster({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Live[]>([]);
  const next = useRef(0);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  const toast = useCallback(
    (t: Toast) => {
      const id = ++next.current;
      setToasts((list) => [...list.slice(-3), { ...t, id }]);
      setTimeout(() => dismiss(id), t.durationMs ?? (t.action ? 12_000 : 5_000));
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={toast}>
      {children}
      <ol aria-label="Notifications" className="pointer-events-none fixed bottom-4 left-4 z-50 flex w-96 flex-col gap-2">
        {toasts.map((t) => (
          <li
            key={t.id}
            role={t.tone === 'error' ? 'alert' : 'status'}
            className={cn(
              'pointer-events-auto flex items-center gap-3 rounded-lg border px-3.5 py-2.5 text-sm shadow-lg',
              t.tone === 'error' ? 'border-danger/40 bg-panel text-danger' : 'border-line bg-ink text-canvas',
            )}
          >
            <span className="flex-1">{t.message}</span>
            {t.action && (
              <button
                type="button"
                className="rounded px-2 py-0.5 text-sm font-semibold underline-offset-2 hover:underline"
                onClick={() => {
                  t.action!.onClick();
                  dismiss(t.id);
                }}
              >
                {t.action.label}
              </button>
            )}
            <button type="button" aria-label="Dismiss notification" className="opacity-70 hover:opacity-100" onClick={() => dismiss(t.id)}>
              <X size={14} />
            </button>
          </li>
        ))}
      </ol>
    </ToastContext.Provider>
  );
}
