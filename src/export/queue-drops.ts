// Counts what the SDK's batch processors drop when their own queue is full, which they only log
// ("Dropped N spans because maxQueueSize reached"), so obs.telemetry.dropped{reason="queue_full"}
// covers the whole path. Relies on the processors' internals (unchanged from 2.x to 3.1); without them it counts nothing.
interface BufferedProcessor {
  _addToBuffer?: (item: unknown) => void;
  _maxQueueSize?: number;
}

function countDrops<P extends object>(processor: P, bufferField: '_finishedSpans' | '_finishedLogRecords', onDrop: (count: number) => void): P {
  const p = processor as P & BufferedProcessor & Record<string, unknown>;
  const add = p._addToBuffer;
  if (typeof add !== 'function' || typeof p._maxQueueSize !== 'number' || !Array.isArray(p[bufferField])) return processor;
  p._addToBuffer = function (this: typeof p, item: unknown): void {
    const buffer = this[bufferField];
    if (Array.isArray(buffer) && buffer.length >= (this._maxQueueSize ?? Infinity)) {
      try {
        onDrop(1);
      } catch {
        // counting must never break the span's end
      }
    }
    add.call(this, item);
  };
  return processor;
}

/** The BatchSpanProcessor, with each span it refuses for a full queue reported to onDrop. */
export function countSpanQueueDrops<P extends object>(processor: P, onDrop: (count: number) => void): P {
  return countDrops(processor, '_finishedSpans', onDrop);
}

/** The BatchLogRecordProcessor, with each record it refuses for a full queue reported to onDrop. */
export function countLogQueueDrops<P extends object>(processor: P, onDrop: (count: number) => void): P {
  return countDrops(processor, '_finishedLogRecords', onDrop);
}
