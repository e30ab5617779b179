import { type ClassValue, clsx } from 'clsx';
import { twMerge } from 'tailwind-merge';

/**
 * Class composition for every component: clsx's conditionals, then tailwind-merge so a later
 * utility wins over a conflicting earlier one (`cn('h-9', small && 'h-7')` is `h-7`), whatever
 * order Tailwind happens to emit them in the stylesheet.
 */
export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
