ch
import torch.nn as nn
class CommentScorer(nn.Module):model = CommentScorer()for c in r:
  logits = model(b)
 s.append(logits) 
in:n() 