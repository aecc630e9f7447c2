import { workerData } from 'node:worker_threads';

/** Keeps the highest RSS seen, in KiB, in the shared cell the main thread reads and resets. */
const { peakKib, everyMs } = workerData as { peakKib: Int32Array; everyMs: number };

function sample() {
  const kib = Math.ceil(process.memoryUsage.rss() / 1024);
  if (kib > Atomics.load(peakKib, 0)) Atomics.store(peakKib, 0, kib);
}

sample();
setInterval(sample, everyMs);
