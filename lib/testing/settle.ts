/**
 * Lets the stream events already queued run: `turns` turns of the event loop (`setImmediate`),
 * never a wall-clock wait. Use it between steps of a {@link connectionPair} test, where bytes
 * travel through real Node streams.
 *
 * @example
 * ```ts
 * client.sink.next('hello');
 * await settle();
 * expect(wire.toServer.deliveredBytes).toBe(6);
 * ```
 */
export async function settle(turns = 10): Promise<void> {
  for (let k = 0; k < turns; k++) await new Promise<void>((resolve) => setImmediate(resolve));
}
