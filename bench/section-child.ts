/**
 * Runs one benchmark section in a process of its own and sends its {@link BenchSection} to the parent
 * (`bench/run.ts`, through `runSectionInChild`): every section starts with a fresh V8 heap and fresh JIT state.
 *
 *   node --import tsx --conditions=source bench/section-child.ts ./otlp-decode.ts '{"quick":false}'
 */
import type { BenchRun } from './bench-section.ts';

const [file, optionsJson] = process.argv.slice(2);
if (!file || !optionsJson || !process.send) {
  process.stderr.write('usage: forked by bench/run.ts with a section file and its options as JSON\n');
  process.exit(2);
}
const mod = (await import(new URL(file, import.meta.url).href)) as { run: BenchRun };
const section = await mod.run(JSON.parse(optionsJson));
// Sections may leave handles behind (timers, pools); the parent has what it needs once the message is sent.
process.send(section, () => process.exit(0));
