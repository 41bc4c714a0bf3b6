/** A reconciler: reads desired state through the api client and writes what is missing. */
export interface Controller {
  readonly name: string;
  /** One pass; returns true when it changed something (the loop runs again until nothing changes). */
  reconcile(now: number): boolean;
}
