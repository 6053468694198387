/**
 * Monitor and archive deadbands (MDEL / ADEL) the way recGblCheckDeadband applies them: post when the value
 * moved by more than the deadband since the last posted value. A deadband of 0 posts any change, a negative one
 * posts every write, and a change to or from NaN or an infinity always counts.
 */
export function passesDeadband(deadband: number, lastPosted: number, next: number): boolean {
  let delta: number
  if (Number.isFinite(lastPosted) && Number.isFinite(next)) delta = Math.abs(next - lastPosted)
  else if ((Number.isNaN(lastPosted) && Number.isNaN(next)) || lastPosted === next) delta = 0
  else delta = Infinity
  return delta > deadband
}
