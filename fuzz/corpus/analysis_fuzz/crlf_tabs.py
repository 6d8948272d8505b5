from sklearn.preprocessing import StandardScaler
from sklearn.model_selection import train_test_split
X = StandardScaler().fit_transform(X)
X_tr, X_te = train_test_split(X)
try:
	pass
except:
    pass  # noqa: ML703