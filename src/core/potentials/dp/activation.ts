/**
 * Activation functions of DeePMD-kit v3 (`deepmd/dpmodel/utils/network.py::get_activation_fn`)
 * and their derivatives, for the float64 forward and backward passes. Names are matched
 * case-insensitively: tanh, relu, relu6, softplus, sigmoid, silu, gelu (= gelu_tf, tanh
 * approximation), silut[:threshold] (= custom_silu[:threshold], default threshold 3), none/linear.
 */

export type ActivationKind = 'tanh' | 'relu' | 'relu6' | 'softplus' | 'sigmoid' | 'silu' | 'gelu' | 'silut' | 'linear';

/** A resolved activation. `threshold`, `slope`, `constant` are used by silut only. */
export interface Activation {
  kind: ActivationKind;
  /** Name as written in the model file. */
  name: string;
  threshold: number;
  slope: number;
  constant: number;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Resolve an activation name; throws `unknown activation function 'x'` for anything else. */
export function resolveActivation(name: string | null | undefined): Activation {
  const raw = name ?? 'none';
  const n = raw.toLowerCase();
  const simple: Record<string, ActivationKind> = {
    tanh: 'tanh', relu: 'relu', relu6: 'relu6', softplus: 'softplus', sigmoid: 'sigmoid', silu: 'silu',
    gelu: 'gelu', gelu_tf: 'gelu', none: 'linear', linear: 'linear',
  };
  if (n in simple) return { kind: simple[n], name: raw, threshold: 0, slope: 0, constant: 0 };
  if (n.startsWith('silut') || n.startsWith('custom_silu')) {
    const base = n.startsWith('silut') ? 'silut' : 'custom_silu';
    const rest = n.slice(base.length);
    let threshold = 3.0;
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new Error(`unknown activation function '${raw}'`);
      threshold = Number(rest.slice(1));
      if (!Number.isFinite(threshold)) throw new Error(`activation '${raw}': threshold is not a number`);
    }
    const s = sigmoid(threshold);
    return { kind: 'silut', name: raw, threshold, slope: s + threshold * s * (1 - s), constant: threshold * s };
  }
  throw new Error(
    `unknown activation function '${raw}' (supported: tanh, relu, relu6, softplus, sigmoid, silu, gelu, gelu_tf, silut[:t], custom_silu[:t], none, linear)`,
  );
}

/**
 * y[o] = act(z[o]) and, when dy is given, dy[o] = act'(z[o]) for o < n.
 * (Derivative conventions at kinks follow PyTorch: relu'(0) = 0, relu6'(0) = relu6'(6) = 0.)
 */
export function applyActivation(a: Activation, z: Float64Array, y: Float64Array, dy: Float64Array | null, n: number): void {
  switch (a.kind) {
    case 'tanh':
      for (let o = 0; o < n; o++) {
        const t = Math.tanh(z[o]);
        y[o] = t;
        if (dy) dy[o] = 1 - t * t;
      }
      return;
    case 'linear':
      for (let o = 0; o < n; o++) {
        y[o] = z[o];
        if (dy) dy[o] = 1;
      }
      return;
    case 'relu':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        y[o] = x > 0 ? x : 0;
        if (dy) dy[o] = x > 0 ? 1 : 0;
      }
      return;
    case 'relu6':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        y[o] = x < 0 ? 0 : x > 6 ? 6 : x;
        if (dy) dy[o] = x > 0 && x < 6 ? 1 : 0;
      }
      return;
    case 'softplus':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        // log(1 + e^x) as numpy writes it; for large x, e^x overflows but the value is x.
        y[o] = x > 700 ? x : Math.log(1 + Math.exp(x));
        if (dy) dy[o] = sigmoid(x);
      }
      return;
    case 'sigmoid':
      for (let o = 0; o < n; o++) {
        const s = sigmoid(z[o]);
        y[o] = s;
        if (dy) dy[o] = s * (1 - s);
      }
      return;
    case 'silu':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        const s = sigmoid(x);
        y[o] = x * s;
        if (dy) dy[o] = s + x * s * (1 - s);
      }
      return;
    case 'gelu':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        const t = Math.tanh(SQRT_2_OVER_PI * (x + GELU_A * x * x * x));
        y[o] = 0.5 * x * (1 + t);
        if (dy) dy[o] = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SQRT_2_OVER_PI * (1 + 3 * GELU_A * x * x);
      }
      return;
    case 'silut':
      for (let o = 0; o < n; o++) {
        const x = z[o];
        if (x < a.threshold) {
          const s = sigmoid(x);
          y[o] = x * s;
          if (dy) dy[o] = s + x * s * (1 - s);
        } else {
          const t = Math.tanh(a.slope * (x - a.threshold));
          y[o] = t + a.constant;
          if (dy) dy[o] = a.slope * (1 - t * t);
        }
      }
      return;
  }
}
