# GPU route: the official TensorFlow GPU image, then the suite's own pins (tensorflow-cpu is replaced by
# the image's CUDA build: pip keeps the image's tensorflow and installs the rest of requirements.txt).
FROM tensorflow/tensorflow:2.21.0-gpu
WORKDIR /sereprod
COPY requirements.txt .
RUN grep -v '^tensorflow-cpu' requirements.txt > /tmp/requirements-gpu.txt \
 && pip install --no-cache-dir -r /tmp/requirements-gpu.txt
COPY . .
ARG SEREPROD_COMMIT=unknown
ENV SEREPROD_COMMIT=${SEREPROD_COMMIT} KERAS_BACKEND=tensorflow SEREPROD_CACHE=/cache
VOLUME ["/data", "/cache", "/sereprod/results"]
CMD ["python", "reproductions/khorram2017/run.py", "--help"]
