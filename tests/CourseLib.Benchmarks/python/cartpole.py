"""CartPole-v1 for the Python reference scripts: Gymnasium's physics written out (Gymnasium's own CartPole is plain
Python as well): force 10 N, Euler integration with tau = 0.02 s, terminated beyond 12 degrees or 2.4 m,
truncated at 500 steps."""
import math

import numpy as np


class CartPole:
    def __init__(self, rng):
        """rng: a numpy Generator; the start states are drawn from it."""
        self.rng = rng
        self.state = None
        self.steps = 0

    def reset(self):
        self.state = list(self.rng.uniform(-0.05, 0.05, size=4))
        self.steps = 0
        return np.array(self.state, dtype=np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = 10.0 if action == 1 else -10.0
        cos_t, sin_t = math.cos(theta), math.sin(theta)
        temp = (force + 0.05 * theta_dot * theta_dot * sin_t) / 1.1
        theta_acc = (9.8 * sin_t - cos_t * temp) / (0.5 * (4.0 / 3.0 - 0.1 * cos_t * cos_t / 1.1))
        x_acc = temp - 0.05 * theta_acc * cos_t / 1.1
        x += 0.02 * x_dot
        x_dot += 0.02 * x_acc
        theta += 0.02 * theta_dot
        theta_dot += 0.02 * theta_acc
        self.state = [x, x_dot, theta, theta_dot]
        self.steps += 1
        terminated = x < -2.4 or x > 2.4 or theta < -0.20943951023931953 or theta > 0.20943951023931953
        truncated = (not terminated) and self.steps >= 500
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated
