/**
 * Disposables held in one place: added as they are made, disposed together, each once, in reverse
 * order. Pure TypeScript (VS Code's `Disposable` has the same shape), so host code of every layer and
 * the tests use it alike.
 */
export interface Disposable {
  dispose(): void;
}

export class DisposableStore implements Disposable {
  private items: Disposable[] = [];
  private disposed = false;

  /** Holds `item` until the store is disposed; a store already disposed disposes it at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes what the store holds and keeps taking new items (for a part that is set up again). */
  clear(): void {
    const items = this.items.reverse();
    this.items = [];
    let first: Error | undefined;
    for (const item of items) {
      try {
        item.dispose();
      } catch (error) {
        // One failing disposal must not leave the rest alive; the first error is rethrown after.
        first ??= error instanceof Error ? error : new Error(String(error));
      }
    }
    if (first !== undefined) throw first;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
  }
}
