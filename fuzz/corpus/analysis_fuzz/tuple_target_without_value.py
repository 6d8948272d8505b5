from imblearn.e import BorderlineSMOTE
sampler=BorderlineSMOTE(k)_t,y=sampler.fit_resample(_)
