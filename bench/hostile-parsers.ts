import { HOSTILE_SHAPES, hostileParsers, timeParser, type Timing } from '../tests/support/adversarial';

/**
 * Feeds the adversarial corpus (tests/support/adversarial.ts) through every parser of untrusted
 * text and prints, per parser, its slowest shape at 1 MB in ms and that shape's growth from 100 KB
 * to 1 MB (≈ 10 is linear, ≈ 100 quadratic) and from 1 MB to 4 MB (≈ 4 linear, ≈ 16 quadratic). At
 * 100 KB many parsers take well under a millisecond and the input fits the CPU caches, so the first
 * ratio overstates growth; the second is the cleaner check. Figures are medians of `--rounds` runs.
 *
 *   npm run build && npm run bench:hostile [-- --rounds 5]
 */

async function main(): Promise<void> {
  const rounds = Number(argValue('--rounds') ?? 3);
  const parsers = hostileParsers();
  console.log(
    `hostile parsers — Node ${process.version}, ${Object.keys(HOSTILE_SHAPES).length} shapes, median of ${rounds} run(s)`,
  );
  console.log(
    `${'parser'.padEnd(42)} ${'slowest shape (1 MB)'.padEnd(36)} ${'100 KB ms'.padStart(10)} ${'1 MB ms'.padStart(9)} ${'4 MB ms'.padStart(9)} ${'×100K→1M'.padStart(9)} ${'×1M→4M'.padStart(7)}`,
  );
  let worstGrowth = 0;
  let worstLarge = 0;
  for (const parser of parsers) {
    const large = await medianTimings(parser, 1_000_000, rounds);
    const small = await medianTimings(parser, 100_000, rounds);
    const slowest = large[0]!;
    const before = small.find((t) => t.shape === slowest.shape)!;
    // Below a millisecond the ratio is noise; it is shown but not counted.
    const growth = slowest.ms / Math.max(before.ms, 0.05);
    const huge = await medianShape(parser, slowest.shape, 4_000_000, rounds);
    const growthLarge = huge / Math.max(slowest.ms, 0.05);
    if (slowest.ms >= 5) {
      worstGrowth = Math.max(worstGrowth, growth);
      worstLarge = Math.max(worstLarge, growthLarge);
    }
    const ms = (v: number, width: number) => v.toFixed(1).padStart(width);
    console.log(
      `${parser.name.padEnd(42)} ${slowest.shape.padEnd(36)} ${ms(before.ms, 10)} ${ms(slowest.ms, 9)} ${ms(huge, 9)} ${ms(growth, 9)} ${ms(growthLarge, 7)}`,
    );
  }
  console.log(
    `largest growth among parsers taking ≥ 5 ms at 1 MB: 100 KB → 1 MB ×${worstGrowth.toFixed(1)} (10 = linear), 1 MB → 4 MB ×${worstLarge.toFixed(1)} (4 = linear)`,
  );
}

async function medianTimings(
  parser: Parameters<typeof timeParser>[0],
  size: number,
  rounds: number,
): Promise<Timing[]> {
  const runs: Timing[][] = [];
  for (let i = 0; i < rounds; i++) runs.push(await timeParser(parser, size));
  const byShape = new Map<string, number[]>();
  for (const run of runs) for (const t of run) byShape.set(t.shape, [...(byShape.get(t.shape) ?? []), t.ms]);
  return [...byShape]
    .map(([shape, values]) => ({
      parser: parser.name,
      shape,
      ms: values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!,
    }))
    .sort((a, b) => b.ms - a.ms);
}

async function medianShape(
  parser: Parameters<typeof timeParser>[0],
  shape: string,
  size: number,
  rounds: number,
): Promise<number> {
  const input = HOSTILE_SHAPES[shape]!(size);
  const values: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = process.hrtime.bigint();
    await parser.run(input);
    values.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function argValue(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
