/** A target time as the office states it: "5 menit", "2 jam", "3 hari" (working days). */
export type TargetTime = { unit: 'minutes'; minutes: number } | { unit: 'days'; days: number };

export function parseTarget(text: string): TargetTime {
  const match = /^([1-9]\d*)([mhd])$/.exec(text.trim());
  if (!match) throw new Error(`target "${text}" is not like 5m, 2h or 3d`);
  const amount = Number(match[1]);
  if (match[2] === 'd') return { unit: 'days', days: amount };
  return { unit: 'minutes', minutes: match[2] === 'h' ? amount * 60 : amount };
}

/** Nominal minutes, for reports and the classifier output (a day counts as 24 h). */
export function targetMinutes(target: TargetTime): number {
  return target.unit === 'days' ? target.days * 24 * 60 : target.minutes;
}

/** Indonesian wording for citizens and staff: "5 menit", "2 jam", "3 hari kerja". */
export function describeTarget(target: TargetTime): string {
  if (target.unit === 'days') return `${target.days} hari kerja`;
  if (target.minutes % 60 === 0) return `${target.minutes / 60} jam`;
  return `${target.minutes} menit`;
}
