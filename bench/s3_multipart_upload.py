"""Reference uploader for the backup benchmark: stdin -> S3 multipart (8 MiB parts, 4 threads),
as in design.md section 5a. Usage: s3_multipart_upload.py ENDPOINT BUCKET KEY"""
import sys

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config

endpoint, bucket, key = sys.argv[1:4]
s3 = boto3.client(
    "s3",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="bench",
    aws_secret_access_key="bench",
    config=Config(s3={"addressing_style": "path"}),
)
cfg = TransferConfig(multipart_threshold=8 << 20, multipart_chunksize=8 << 20, max_concurrency=4)
s3.upload_fileobj(sys.stdin.buffer, bucket, key, Config=cfg)
