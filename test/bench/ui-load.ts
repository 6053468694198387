/**
 * The UI benchmark's CA client, in a process of its own (as a real client would be): connects to `PV` on
 * 127.0.0.1:`PORT` and sends READ_NOTIFY requests at `RATE` per second (in slices every 10 ms, pipelined),
 * for `SECONDS`, discarding the replies. Prints one JSON line: {"sent": n, "bytesIn": n}.
 *
 *   node --import tsx test/bench/ui-load.ts PORT PV RATE SECONDS
 */
import { RawCaClient } from '../../src-main/ca/server/testing/raw-client'
import { DbrType } from '../../src-main/ca/wire/dbr-types'
import { encodeMessage, writeReadNotifyRequest } from '../../src-main/ca/wire/messages'

const [port, pv, rate, seconds] = [
  Number(process.argv[2]),
  process.argv[3],
  Number(process.argv[4]),
  Number(process.argv[5]),
]
const SLICE_MS = 10

const client = await RawCaClient.handshake(port, 'bench', 'ui-bench')
const [, reply] = await client.createChannel(pv, 1)
const sid = reply.parameter2
// From here on the replies are only counted: the test client's message list would grow without bound.
client.socket.removeAllListeners('data')
let bytesIn = 0
client.socket.on('data', (chunk: Buffer) => (bytesIn += chunk.length))

const perSlice = Math.round((rate * SLICE_MS) / 1000)
const slice = Buffer.concat(
  Array.from({ length: perSlice }, (_, i) =>
    encodeMessage(writeReadNotifyRequest, DbrType.TIME_DOUBLE, 1, sid, i + 1),
  ),
)
let sent = 0
const started = performance.now()
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate)
    // Catch up after a late timer, but never more than a few slices at once.
    for (let n = 0; sent + perSlice <= due && n < 4; n++) {
      client.socket.write(slice)
      sent += perSlice
    }
    if (performance.now() - started >= seconds * 1000) {
      clearInterval(timer)
      resolve()
    }
  }, SLICE_MS)
})
process.stdout.write(`${JSON.stringify({ sent, bytesIn })}\n`)
await client.close()
