import { from, isObservable, of, type Observable } from 'rxjs';

/** A PromiseLike (any thenable), told apart from plain values. */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * What a user handler returned, as an Observable: an Observable as it is, a Promise (any
 * thenable) as its one value, anything else (arrays included) as one value. Internal.
 */
export function handlerResult<T>(result: T | PromiseLike<T> | Observable<T>): Observable<T> {
  if (isObservable(result)) return result;
  if (isPromiseLike(result)) return from(result);
  return of(result);
}
