/** Where an environment's Terraform state lives in its S3 bucket, unless its config sets `state.key`. */
export const defaultStateKey = (environment: string): string => `${environment}/terraform.tfstate`;
