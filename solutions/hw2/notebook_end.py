# %% [markdown]
# ## Put it together (not graded)
#
# Your functions, together, train a classifier. The data: three interleaved spirals in the
# plane, 100 points each, which no straight line separates (a linear classifier, logistic
# regression, gets about a third of them right). A ReLU network with one hidden layer of
# 64 units bends its decision boundary around them: every ReLU adds a fold, and the
# boundary is piecewise linear.
#
# The cell below runs `train_epoch` for 300 epochs (a few seconds at most), then plots the
# loss of every minibatch and the class the network predicts at each point of the plane.
# Try other learning rates, batch sizes and hidden sizes: what happens with `lr = 5.0`,
# with `H = 3`, with `batch_size = 300` (full-batch gradient descent)?

# %%
import matplotlib.pyplot as plt

rng = np.random.default_rng(0)
N_PER_CLASS, C, H = 100, 3, 64
r = np.linspace(0.0, 1.0, N_PER_CLASS)  # the distance from the centre
X = np.concatenate([np.stack([r * np.sin(4 * r + 2.1 * c), r * np.cos(4 * r + 2.1 * c)], axis=1)
                    for c in range(C)]) + 0.03 * rng.standard_normal((C * N_PER_CLASS, 2))
y = np.repeat(np.arange(C), N_PER_CLASS)

# He initialisation: weights of variance 2 / (inputs of the layer) keep ReLU activations of unit scale
params = {"W1": rng.standard_normal((2, H)) * np.sqrt(2 / 2), "b1": np.zeros(H),
          "W2": rng.standard_normal((H, C)) * np.sqrt(2 / H), "b2": np.zeros(C)}
all_losses = []
for epoch in range(300):
    params, losses = train_epoch(params, X, y, lr=1.0, batch_size=32, rng=rng)
    all_losses.extend(losses)
print(f"training accuracy: {accuracy(mlp_forward(params, X), y):.1%}, "
      f"loss {cross_entropy(mlp_forward(params, X), y):.3f}")

fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
left.plot(all_losses, linewidth=0.5)
left.set(xlabel="minibatch", ylabel="cross-entropy loss", yscale="log", title="training loss")
grid = np.linspace(-1.2, 1.2, 200)
gx, gy = np.meshgrid(grid, grid)
predicted = np.argmax(mlp_forward(params, np.stack([gx.ravel(), gy.ravel()], axis=1)), axis=1)
right.contourf(gx, gy, predicted.reshape(gx.shape), levels=np.arange(C + 1) - 0.5, cmap="brg", alpha=0.25)
right.scatter(X[:, 0], X[:, 1], c=y, cmap="brg", s=10)
right.set(title="decision boundary", aspect="equal")
plt.show()
