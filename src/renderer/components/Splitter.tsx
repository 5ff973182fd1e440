/**
 * Draggable splitter between the sidebar and the content. The width follows the pointer at
 * once (local state) and is saved to settings.layout.sidebarWidth debounced.
 */
import { useEffect, useRef } from 'react';
import { NUMBER_RULES } from '../lib/validation';

const SAVE_DELAY_MS = 400;

interface Props {
  width: number;
  onChange: (width: number) => void;
  onCommit: (width: number) => void;
}

export function clampSidebarWidth(width: number): number {
  const { min, max } = NUMBER_RULES.sidebarWidth;
  return Math.round(Math.min(max, Math.max(min, width)));
}

export function Splitter({ width, onChange, onCommit }: Props) {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  const schedule = (next: number) => {
    onChange(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => onCommit(next), SAVE_DELAY_MS);
  };
  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize the sidebar"
      aria-valuenow={width}
      aria-valuemin={NUMBER_RULES.sidebarWidth.min}
      aria-valuemax={NUMBER_RULES.sidebarWidth.max}
      tabIndex={0}
      onPointerDown={(e) => {
        const startX = e.clientX;
        const startWidth = width;
        const target = e.currentTarget;
        target.setPointerCapture(e.pointerId);
        target.classList.add('dragging');
        const move = (ev: PointerEvent) =>
          schedule(clampSidebarWidth(startWidth + ev.clientX - startX));
        const up = () => {
          target.classList.remove('dragging');
          target.removeEventListener('pointermove', move);
          target.removeEventListener('pointerup', up);
          target.removeEventListener('pointercancel', up);
        };
        target.addEventListener('pointermove', move);
        target.addEventListener('pointerup', up);
        target.addEventListener('pointercancel', up);
      }}
      onKeyDown={(e) => {
        if (e.key === 'ArrowLeft') schedule(clampSidebarWidth(width - 16));
        if (e.key === 'ArrowRight') schedule(clampSidebarWidth(width + 16));
      }}
    />
  );
}
