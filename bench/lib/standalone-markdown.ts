import type { BenchSection } from '../bench-section.ts';
import { ratioTable } from './ratio-target.ts';

/**
 * A section as Markdown on its own (a benchmark module run alone): its title, its ratio targets, then its body.
 * @example console.log(standaloneMarkdown(await run({ quick: true })));
 */
export function standaloneMarkdown(section: BenchSection): string {
  const targets = section.targets.length > 0 ? `${ratioTable(section.targets)}\n\n` : '';
  return `## ${section.title}\n\n${targets}${section.markdown}`;
}
