/**
 * The frame of each page: a section named by its title (an h1), with a toolbar that holds the
 * title and the page's controls above the page's content.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';

/** Props of ViewFrame. */
export interface ViewFrameProps {
  /** The page's title: its h1 and the section's accessible name. */
  title: string;
  /** Class names added to "view". */
  className?: string;
  /** Controls shown in the toolbar after the title. */
  toolbar?: ReactNode;
  children: ReactNode;
}

/** A page: its titled toolbar, then its content. */
export function ViewFrame({ title, className, toolbar, children }: ViewFrameProps) {
  const titleId = useId();
  return (
    <section className={className ? `view ${className}` : 'view'} aria-labelledby={titleId}>
      <div className="toolbar">
        <h1 id={titleId} className="view-title">
          {title}
        </h1>
        {toolbar}
      </div>
      {children}
    </section>
  );
}
