"""scipy.optimize.basinhopping on LJ38 for bench/bhmc-lj38.ts (issue 13).

Reads one JSON object on stdin:
  {"start": [x0, y0, z0, x1, ...] (reduced units), "seed": int, "T": 0.8, "stepsize": 0.4,
   "target": -173.928427, "tol": 1e-3, "max_hops": int}
runs basinhopping with method L-BFGS-B (analytic gradient) from that start until the lowest
minimum is within tol of target (callback returns True) or max_hops hops, and prints one JSON
line: hops, nfev (energy+gradient evaluations, all minimizations), wall seconds, best energy,
final step size, scipy version. scipy's default take_step is its adaptive random displacement
(step size adjusted every 50 hops towards 50 % acceptance).
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import basinhopping


def lj_energy_gradient(x):
    """Untruncated LJ (epsilon = sigma = 1): E = 4 sum_{i<j} (r^-12 - r^-6) and dE/dx."""
    p = x.reshape(-1, 3)
    d = p[:, None, :] - p[None, :, :]
    r2 = np.einsum('ijk,ijk->ij', d, d)
    n = p.shape[0]
    iu = np.triu_indices(n, 1)
    r2u = r2[iu]
    ir6 = 1.0 / r2u ** 3
    e = 4.0 * np.sum(ir6 * ir6 - ir6)
    # dphi/dr / r = -24 (2 r^-12 - r^-6) / r^2
    g = np.zeros((n, n))
    g[iu] = -24.0 * (2.0 * ir6 * ir6 - ir6) / r2u
    g = g + g.T
    grad = np.einsum('ij,ijk->ik', g, d)
    return e, grad.ravel()


def main():
    cfg = json.loads(sys.stdin.read())
    x0 = np.array(cfg['start'], dtype=float)
    target, tol = cfg['target'], cfg['tol']
    hops = 0
    found = [None]

    def callback(x, f, accept):
        nonlocal hops
        hops += 1
        if f < target + tol and found[0] is None:
            found[0] = hops
            return True
        return False

    t0 = time.perf_counter()
    res = basinhopping(
        lj_energy_gradient, x0, niter=cfg['max_hops'], T=cfg['T'], stepsize=cfg['stepsize'],
        minimizer_kwargs={'method': 'L-BFGS-B', 'jac': True}, callback=callback, seed=cfg['seed'],
    )
    wall = time.perf_counter() - t0
    print(json.dumps({
        'hops': found[0] if found[0] is not None else hops, 'found': found[0] is not None,
        'nfev': int(res.nfev), 'wall': wall, 'best': float(res.fun), 'scipy': scipy.__version__,
    }))


if __name__ == '__main__':
    main()
