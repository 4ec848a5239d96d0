#!/usr/bin/python3 -I
"""What the users saw against what Upshift said, for one run on the cloud box.

    lab/cloud/lib/compare.py SUMMARY.json LOAD.json [--slack S]

SUMMARY is `upshift run --summary-json` of a real run (its `started_at` lines the run's times up
with the wall clock), LOAD is lab/cloud/load/load.py's summary of the user load during that run.
For each capability: the windows Upshift derived from the run, the ones its rehearsal predicted,
and the users' failure windows (load.py's, failures less than 2 s apart), each marked `inside`
when it lies within one of Upshift's windows widened by S seconds (default 2: an operation takes
time, and a failure is recorded when it ends), else `OUTSIDE`; VMs' missed heartbeats too.
Prints a Markdown table; exits 1 when a user failure lies outside every window, or a heartbeat
was missed, and 0 otherwise."""

import json
import sys


def main():
    argv = sys.argv[1:]
    slack = 2.0
    if '--slack' in argv:
        i = argv.index('--slack')
        slack = float(argv[i + 1])
        del argv[i:i + 2]
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    summary = json.load(open(argv[0]))
    load = json.load(open(argv[1]))
    t0 = summary.get('started_at')
    if t0 is None:
        sys.stderr.write('compare.py: %s has no started_at (a rehearsal?)\n' % argv[0])
        return 2
    fmt = lambda ws: ' '.join('%.1f–%.1f' % (a, b) for a, b in ws) or 'none'
    bad = []
    print('| capability | Upshift\'s windows (s) | predicted (s) | users: ok / failed | users\' failure windows (s) |')
    print('|---|---|---|---|---|')
    for cap in summary['capabilities']:
        name = cap['name']
        ours = [(w['start_s'], w['end_s']) for w in cap.get('windows', [])]
        predicted = [(w['start_s'], w['end_s']) for w in (cap.get('predicted') or {}).get('windows', [])]
        users = (load.get('capabilities') or {}).get(name)
        if users is None:
            seen, marks = '-', '-'
        else:
            seen = '%d / %d' % (users.get('ok', 0), users.get('failed', 0))
            marks = []
            for w in users.get('windows', []):
                a, b, n = w[0] - t0, w[1] - t0, w[2]
                inside = any(s - slack <= a and b <= e + slack for s, e in ours)
                marks.append('%.1f–%.1f (%d) %s' % (a, b, n, 'inside' if inside else 'OUTSIDE'))
                if not inside:
                    bad.append('%s: %d user failures at %.1f–%.1f s, outside %s' % (name, n, a, b, fmt(ours)))
            marks = '; '.join(marks) or 'none'
        print('| %s | %s | %s | %s | %s |' % (name, fmt(ours), fmt(predicted), seen, marks))
    late = {c: v.get('not_issued') for c, v in (load.get('capabilities') or {}).items() if v.get('not_issued')}
    print()
    if late:  # operations the load never sent: its queue was full (a saturated machine), not failures
        print('not sent by the load (64 operations already waiting): %s' % '; '.join(
            '%s %d at %s' % (c, len(ts), ' '.join(sorted({'%.0f' % (t - t0) for t in ts}))) for c, ts in sorted(late.items())))
    hb = load.get('heartbeats') or {}
    print('VMs watched: %d; missed heartbeats: %d' % (hb.get('vms', 0), hb.get('missed', 0)))
    stalls = hb.get('monitor_stalls') or {}
    if stalls:  # the cells' heartbeat processes lagging (a loaded machine), not VMs stopping
        print('heartbeat processes late by more than 3 s: %s' % ', '.join(
            '%s %d times (up to %.1f s)' % (c, s['count'], s['max_s']) for c, s in sorted(stalls.items())))
    if hb.get('missed', 0):
        bad.append('%d missed VM heartbeats' % hb['missed'])
    for b in bad:
        print('FAIL: ' + b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
