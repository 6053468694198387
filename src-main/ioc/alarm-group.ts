/**
 * One alarm shared by the PVs of an alarm group (caproto's ChannelAlarm). By default every PV has a group of
 * its own; PVs that name the same `alarmGroup` share one. The group's alarm is the one last written by any
 * member, and only members whose alarm really changed are told, so a write to one PV never makes the others
 * post unless their alarm changed (no caproto #803 storms).
 */
export interface AlarmMember {
  /** The group's alarm changed because of another member or setAlarm: refresh and post DBE_ALARM. */
  alarmChangedByGroup(): void
}

export class AlarmGroup {
  status = 0
  severity = 0
  private readonly members = new Set<AlarmMember>()

  /** `name` is undefined for the private group of a single PV. */
  constructor(readonly name: string | undefined) {}

  get size(): number {
    return this.members.size
  }

  /**
   * Adds a member whose own initial alarm is (status, severity). The first member sets the group's alarm; a later
   * one raises it only when more severe, otherwise it adopts the group's alarm.
   */
  join(member: AlarmMember, status: number, severity: number): void {
    const first = this.members.size === 0
    this.members.add(member)
    if (first) {
      this.status = status
      this.severity = severity
    } else if (severity > this.severity) this.set(status, severity, member)
  }

  leave(member: AlarmMember): void {
    this.members.delete(member)
  }

  /**
   * Writes the group's alarm. Returns true when it changed; then every member except `source` (which updates its
   * own snapshot) is told.
   */
  set(status: number, severity: number, source: AlarmMember | undefined): boolean {
    if (status === this.status && severity === this.severity) return false
    this.status = status
    this.severity = severity
    for (const member of this.members) if (member !== source) member.alarmChangedByGroup()
    return true
  }
}
