import type { ReactNode } from 'react';

type BannerProps = {
  tone: 'info' | 'warning' | 'danger';
  title?: string;
  children: ReactNode;
  onDismiss?: () => void;
};

/** A full-width message above the screen (insecure storage, engine notices). */
export function Banner({ tone, title, children, onDismiss }: BannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'info' ? 'status' : 'alert'}>
      <div className="banner-text">
        {title && <strong className="banner-title">{title}</strong>}
        <span>{children}</span>
      </div>
      {onDismiss && (
        <button type="button" className="button ghost small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
