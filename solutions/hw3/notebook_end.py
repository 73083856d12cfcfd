# %% [markdown]
# ## Put it together (not graded)
#
# Your functions, side by side. First the lecture's problem: predict tomorrow's views from the
# last D = 7 days (a weekly pattern plus noise), fitted from w = 0, b = 0 by each optimizer with
# the same learning rate. Plain gradient descent crawls along the narrow valley of the loss;
# momentum builds up speed along it; RMSProp and Adam give each parameter its own step size.
#
# Then the learning-rate schedule over 1000 steps (100 of warm-up, then cosine decay), and a
# 2-d saddle, L(a, b) = a^2 - b^2 / 2 + a b / 2: its Hessian has one negative eigenvalue, and
# escape_direction points along the way down. Try other learning rates, another loss ("mae"),
# or another saddle.

# %%
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
days = 7 + 200
views = 10 + 3 * np.sin(2 * np.pi * np.arange(days) / 7) + 0.02 * np.arange(days) + rng.standard_normal(days)
X = np.stack([views[i:i + 7] for i in range(200)]) / 10  # the last 7 days, scaled
y = views[7:207] / 10  # the next day

fig, (curves, schedule, saddle) = plt.subplots(1, 3, figsize=(15, 4.2))
for name in ("sgd", "momentum", "rmsprop", "adam"):
    history = optimize_linear(X, y, name, lr=0.01, steps=300)
    curves.plot(history, label=f"{name}: {history[-1]:.3f}")
curves.set(xlabel="step", ylabel="MSE", yscale="log", title="the same data, four optimizers (lr = 0.01)")
curves.legend()

steps = np.arange(1000)
schedule.plot(steps, [warmup_cosine_lr(int(s), 1e-3, 100, 1000, 1e-5) for s in steps])
schedule.set(xlabel="step", ylabel="learning rate", title="warm-up (100 steps), then cosine decay")

H = np.array([[2.0, 0.5], [0.5, -1.0]])  # the Hessian of a^2 - b^2 / 2 + a b / 2, everywhere
grid = np.linspace(-2, 2, 101)
a, b = np.meshgrid(grid, grid)
loss = 0.5 * (H[0, 0] * a ** 2 + 2 * H[0, 1] * a * b + H[1, 1] * b ** 2)
saddle.contour(a, b, loss, levels=25, cmap="coolwarm")
u = escape_direction(H)
for sign in (1, -1):
    saddle.annotate("", xy=sign * 1.5 * u, xytext=(0, 0), arrowprops=dict(arrowstyle="->", linewidth=2))
saddle.set(title=f"{classify_critical_point(H)} at 0: escape along +-u", aspect="equal")
plt.show()
